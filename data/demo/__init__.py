"""The simulated demo scenario: a Delta-like outbreak in the shape of Guangzhou, May-June 2021.

Every figure it writes is invented and says so (DatasetInfo "scenario"); it follows the
shape of the publicly reported outbreak, not its records.
"""

from data.demo.seed import SCENARIO_KEY, seed_demo
from data.demo.timeline import SCALES

__all__ = [
    "SCALES",
    "SCENARIO_KEY",
    "seed_demo",
]
