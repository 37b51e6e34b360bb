"""What start-up builds is kept out of the garbage collector's generations while the app
serves (`service.startup.lifespan`), and handed back when it stops."""

from __future__ import annotations

import gc

from tests.conftest import AppFactory


async def test_start_up_objects_are_frozen_while_serving_and_released_after(
    app_with: AppFactory,
) -> None:
    gc.unfreeze()  # whatever the suite's own app froze
    assert gc.get_freeze_count() == 0
    async with app_with() as http:
        assert (await http.get("/health/live")).status_code == 200
        # The modules, the app and its state: far more than a handful of objects.
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0
