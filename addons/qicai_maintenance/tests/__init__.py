from . import test_tour_engineer
