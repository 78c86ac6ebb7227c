"""Twin Stars trip solver: team orienteering with time windows, as a pure package.

Use ``solve(problem, params, on_progress)`` on a ``Problem``; check any ``Solution`` with
``check``. Nothing here knows about HTTP or the database.
"""

from solver.check import check as check
from solver.params import SolveParams as SolveParams
from solver.params import Strategy as Strategy
from solver.problem import Break as Break
from solver.problem import Problem as Problem
from solver.problem import Tour as Tour
from solver.problem import Visit as Visit
from solver.solution import Progress as Progress
from solver.solution import Reason as Reason
from solver.solution import Solution as Solution
from solver.solution import Status as Status
from solver.solution import Stop as Stop
from solver.solution import TourPlan as TourPlan
from solver.solution import Unvisited as Unvisited
from solver.solve import solve as solve
from solver.trip import DayOption as DayOption
from solver.trip import Trip as Trip
from solver.trip import TripParams as TripParams
from solver.trip import TripPlan as TripPlan
from solver.trip import plan_trip as plan_trip
