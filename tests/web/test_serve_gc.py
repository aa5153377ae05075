"""A server process leaves its startup objects out of the cyclic collector and lets a page's
short-lived objects go before the collector passes over the young ones (api/app.py)."""

import gc

from revteam.api.app import YOUNG_OBJECTS_PER_PASS, leave_startup_objects_out_of_gc


def test_a_server_process_freezes_its_startup_objects_and_passes_over_young_ones_less_often():
    threshold = gc.get_threshold()
    try:
        leave_startup_objects_out_of_gc()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_OBJECTS_PER_PASS, *threshold[1:]) and YOUNG_OBJECTS_PER_PASS > threshold[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
