"""Trip planning: a traveller's request -> a solver problem -> a day-by-day itinerary."""
