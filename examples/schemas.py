"""Example schemas for grounded extraction (see run_schemas.py and the README).

Money fields are answered by the model with the id of an amount llmx found in the text, Ticker
fields with the id of a listing, Quote fields are copied from the text and aligned to it; every
other field is answered as its description says.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from llmx import Money, Quote, Ticker


class LicensingDeal(BaseModel):
    """A licensing or collaboration deal announced in the release."""

    licensee: Quote | None = Field(None, description="Company that obtains the license and pays for it.")
    licensor: Quote | None = Field(None, description="Company that grants the license and is paid.")
    upfront: Money | None = Field(None, description="Upfront payment.")
    milestones: list[Money] = Field(default_factory=list, description="Potential milestone payments.")
    royalty_rate: Quote | None = Field(None, description="Royalty rate as printed, e.g. 'tiered double-digit'.")


class Financing(BaseModel):
    """A securities offering or other financing announced in the release."""

    listing: Ticker | None = Field(None, description="The issuer's own stock listing.")
    gross_proceeds: Money | None = Field(None, description="Gross proceeds of the offering.")
    price_per_share: Money | None = Field(None, description="Offering price per share or unit.")
    underwriters: list[Quote] = Field(default_factory=list, description="Underwriters, placement agents or book-runners.")
    shares_offered: float | None = Field(None, description="Number of shares offered, if printed.")


class Earnings(BaseModel):
    """Financial results reported in the release."""

    company: Quote | None = Field(None, description="Company reporting its results.")
    period: str | None = Field(None, description="Reporting period, e.g. 'Q2 2025' or 'fiscal 2024'.")
    revenue: Money | None = Field(None, description="Revenue (total sales) for the period.")
    net_loss: Money | None = Field(None, description="Net loss (or net income) for the period.")
    cash: Money | None = Field(None, description="Cash, cash equivalents and investments at period end.")


SCHEMAS: dict[str, type[BaseModel]] = {"licensing": LicensingDeal, "financing": Financing, "earnings": Earnings}
