from __future__ import annotations

from django.db import models


class OrganisationKind(models.TextChoices):
    STATUTORY = "statutory", "Responsible authority (statutory)"
    NON_STATUTORY = "non_statutory", "Non-statutory partner"


class Sector(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", "Local government"
    COMMUNITY_SAFETY_PARTNERSHIP = "community_safety_partnership", "Community safety partnership"
    POLICE = "police", "Police"
    POLICING_GOVERNANCE = "policing_governance", "Police governance"
    FIRE_AND_RESCUE = "fire_and_rescue", "Fire and rescue"
    HEALTH = "health", "Health"
    PROBATION = "probation", "Probation"
    PROSECUTION = "prosecution", "Prosecution"
    PRISONS = "prisons", "Prisons"
    SUBSTANCE_MISUSE = "substance_misuse", "Drug and alcohol services"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    CRIMINAL_JUSTICE = "criminal_justice", "Criminal justice partnership"
    HOUSING = "housing", "Housing"
    VOLUNTARY_COMMUNITY_FAITH = "voluntary_community_faith", "Voluntary, community and faith"


class AreaKind(models.TextChoices):
    DISTRICT = "district", "District"
    UNITARY = "unitary", "Unitary authority"
