"""Trained models (one row per version, with their backtest) and the predictions each made."""

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from revteam.db.base import Base, BigId, Json, UtcDateTime


class PredictiveModel(Base):
    """One trained model: its id is its version; `parameters` are all a prediction needs, `report` its backtest."""

    __tablename__ = "predictive_models"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    trained_at: Mapped[datetime] = mapped_column(UtcDateTime)
    playbook_version_id: Mapped[int] = mapped_column(ForeignKey("playbook_versions.id"))
    window_days: Mapped[int] = mapped_column(Integer)
    parameters: Mapped[dict] = mapped_column(Json)
    report: Mapped[dict] = mapped_column(Json)


class LeadPrediction(Base):
    """A model's probability that an open lead will be won; a new model adds rows, never replaces them."""

    __tablename__ = "lead_predictions"

    lead_id: Mapped[int] = mapped_column(BigId, ForeignKey("leads.id"), primary_key=True, autoincrement=False)
    model_id: Mapped[int] = mapped_column(BigId, ForeignKey("predictive_models.id"), primary_key=True,
                                          autoincrement=False, index=True)
    probability: Mapped[float] = mapped_column(Float)
    predicted_at: Mapped[datetime] = mapped_column(UtcDateTime)
