"""The ASB victim risk assessment: harm, vulnerability and repeat victimisation.

No national scored ASB risk matrix was found in a public source (the reference notes, section
C); Safer ships its own questions (data/asb-risk-assessment.yaml) covering the HMIC personal,
situational and incidental vulnerability framework, scored like the DASH checklist: the count
of "yes" answers against the form's thresholds (standard / medium / high), with questions whose
"yes" alone means high risk (a victim who fears for their safety, or thinks of self-harm).
A partnership loads its own form and thresholds with `safer load-risk-form`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from safer.safeguarding.dash import Score, score


def score_asb(
    answers: Iterable[str], levels: Mapping[str, int], high_if_yes: Iterable[bool]
) -> Score:
    """Score an ASB risk assessment; incomplete answers are never scored (as in dash.py)."""
    return score(answers, levels, high_if_yes=high_if_yes)
