"""Dependencies of the model routes: the worker's serving state, the store, the 503 probe."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from service.inference.errors import ModelServingUnavailable
from service.inference.runtime import Serving
from service.inference.storage import ModelStorage
from service.kernel.state import from_state


async def serving(state: Annotated[Serving, from_state("serving")]) -> Serving:
    """This worker's serving state; 503 saying how to enable serving when it cannot work."""
    if state.missing is not None:
        raise ModelServingUnavailable(state.missing)
    return state


ServingState = Annotated[Serving, Depends(serving)]
Storage = Annotated[ModelStorage, from_state("model_storage")]  # where model files live
