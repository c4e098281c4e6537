"""Which scoring model is live, and switching it (activation and rollback)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import Target, audit_record
from matching import queue
from matching.errors import ActivationRefused, ModelUnavailable
from matching.models import ScoringModel
from matching.models_store import PRETRAINED_KEY
from matching.scoring.corpus import UNFROZEN
from matching.scoring.heads import scorer_for

PRETRAINED_VERSION = "pretrained"


def scoring_model_active() -> ScoringModel:
    """The live model; the bundled pre-trained one until something else is activated."""
    # Without the corpus statistics' blob: matching.scoring.corpus reads it once.
    model = ScoringModel.objects.filter(is_active=True).defer("corpus_df").first()
    if model is not None:
        return model
    try:
        with transaction.atomic():
            model, _ = ScoringModel.objects.get_or_create(
                version=PRETRAINED_VERSION,
                defaults={
                    "kind": ScoringModel.Kind.PRETRAINED,
                    "encoder_key": PRETRAINED_KEY,
                    "is_active": True,
                    "activated_at": timezone.now(),
                },
            )
            if not model.is_active and not ScoringModel.objects.filter(is_active=True).exists():
                model.is_active = True
                model.activated_at = timezone.now()
                model.save(update_fields=["is_active", "activated_at"])
    except IntegrityError:
        # Two processes created it at the same moment; the other one won.
        pass
    return ScoringModel.objects.defer("corpus_df").get(is_active=True)


def fairness_drops(model: ScoringModel) -> list[str]:
    """The categories whose impact ratio the fairness check at training (fairness.activation,
    kept in the version's metrics) found falling below 0.8 under this version."""
    return list((model.metrics.get("fairness") or {}).get("drops") or [])


def _not_better(model: ScoringModel) -> str:
    """Why a version is not activated without insisting: its run's verdict (the gate of
    training.gate) and the reasons, or, for a run from before the gate, the figures."""
    live = model.metrics.get("live_at_training", {})
    against = live.get("model", "the live model")
    comparison = model.metrics.get("comparison") or {}
    said = {
        "worse": f"was worse than {against}",
        "unclear": f"was not measured better than {against} beyond noise",
        "untrusted": f"learned from labels that failed a check: not called better than {against}",
    }.get(comparison.get("verdict", "worse"), f"was worse than {against}")
    reasons = "; ".join(comparison.get("reasons", [])) or (
        f"Spearman {model.metrics.get('spearman')} against {live.get('spearman')} on the "
        "same validation set"
    )
    return f"{model.version} {said} ({reasons}); not activated. Activate it anyway to insist."


# Activations that may take the live row between one waiting activation's looks at it.
ACTIVATION_LOCK_TRIES = 20


def scoring_model_activate(
    *, model: ScoringModel, force: bool = False, actor: User | None = None
) -> ScoringModel:
    """Make `model` the live one, then re-score every pair in the background.

    A version that measured worse than the live model on the same validation set (its
    training run records `better_than_live`) is refused unless forced. Rollback is the
    same call on an earlier version, or on the pre-trained one.

    Every web and worker process reads the live model from the database when it scores,
    and loads a version's head and encoder once, so the switch needs no restart. The
    model's files are loaded first: a missing or unreadable folder fails here, before
    anything changes.
    """
    if not force and model.metrics.get("better_than_live") is False:
        raise ActivationRefused(_not_better(model))
    drops = fairness_drops(model)
    if not force and drops:
        raise ActivationRefused(
            f"{model.version} would lower a group's impact ratio below 0.8 where the live "
            f"model's is at 0.8 or above ({'; '.join(drops)}); not activated. Activate it "
            "anyway to confirm: the confirmation is recorded in the audit log."
        )
    try:
        scorer_for(model)
    except ModelUnavailable as exc:
        raise ModelUnavailable(
            f"{model.version} cannot be loaded: {exc} The live model is unchanged."
        ) from exc
    scoring_model_active()  # on a fresh database, creates the pre-trained row to lock
    with transaction.atomic():
        # Locks the live row: two activations at once are applied one after the other.
        # One that waited finds the row it waited for no longer live, and locks the row
        # that is live now (each statement reads what committed before it).
        live = None
        for _ in range(ACTIVATION_LOCK_TRIES):
            live = ScoringModel.objects.select_for_update().filter(is_active=True).first()
            if live is not None:
                break
        ScoringModel.objects.filter(is_active=True).exclude(pk=model.pk).update(is_active=False)
        # It freezes the corpus statistics afresh when it first scores (scoring.corpus).
        ScoringModel.objects.filter(pk=model.pk).update(
            is_active=True,
            activated_at=timezone.now(),
            **UNFROZEN,
        )
        queue.enqueue_rescore_all()
        _audit_activation(model=model, live=live, force=force, actor=actor)
    model.refresh_from_db()
    return model


def _audit_activation(
    *, model: ScoringModel, live: ScoringModel | None, force: bool, actor: User | None
) -> None:
    # Going back to a version older than the live one is a rollback, whichever screen did it.
    rolled_back = live is not None and live.pk != model.pk and model.created_at < live.created_at
    audit_record(
        actor=actor,
        action="rolled_back" if rolled_back else "activated",
        target=Target.of(model, label=model.version),
        details={
            "version": model.version,
            "previous": live.version if live else None,
            "force": force,
            # What a forced activation confirmed: the groups whose ratio it lowers.
            **({"fairness_drops": drops} if (drops := fairness_drops(model)) else {}),
        },
    )
