"""A small stand-in schema for the backend and cache tests, with a validator that reads the context."""

from __future__ import annotations

from pydantic import BaseModel, ValidationInfo, field_validator


class Deal(BaseModel):
    """A deal whose amount must be printed in `validation_context["source"]` when one is given."""

    payer: str | None = None
    amount: float

    @field_validator("amount")
    @classmethod
    def _printed_in_source(cls, value: float, info: ValidationInfo) -> float:
        source = (info.context or {}).get("source")
        if source is not None and f"{value:g}" not in source:
            raise ValueError(f"amount {value:g} is not in the text; copy an amount exactly as printed")
        return value
