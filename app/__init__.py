"""Twin Stars: the joint Chifeng-Tongliao itinerary planner service."""

__version__ = "0.1.0"
