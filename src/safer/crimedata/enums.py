"""The police.uk categories and the places a record can fall in."""

from __future__ import annotations

from django.db import models


class CrimeType(models.TextChoices):
    """police.uk crime categories; the values are police.uk's own category slugs."""

    ASB = "anti-social-behaviour", "Anti-social behaviour"
    BICYCLE_THEFT = "bicycle-theft", "Bicycle theft"
    BURGLARY = "burglary", "Burglary"
    CRIMINAL_DAMAGE = "criminal-damage-arson", "Criminal damage and arson"
    DRUGS = "drugs", "Drugs"
    OTHER_CRIME = "other-crime", "Other crime"
    OTHER_THEFT = "other-theft", "Other theft"
    WEAPONS = "possession-of-weapons", "Possession of weapons"
    PUBLIC_ORDER = "public-order", "Public order"
    ROBBERY = "robbery", "Robbery"
    SHOPLIFTING = "shoplifting", "Shoplifting"
    THEFT_FROM_PERSON = "theft-from-the-person", "Theft from the person"
    VEHICLE_CRIME = "vehicle-crime", "Vehicle crime"
    VIOLENCE = "violent-crime", "Violence and sexual offences"
    # Categories police.uk used before May 2013, kept so older archives load.
    LEGACY_DISORDER = "public-disorder-weapons", "Public disorder and weapons"
    LEGACY_VIOLENCE = "violent-crime-legacy", "Violent crime"


CRIME_TYPE_BY_LABEL: dict[str, CrimeType] = {str(c.label): c for c in CrimeType}


class Place(models.TextChoices):
    """Where a record falls: in one of the partnership's areas, nowhere, or elsewhere."""

    AREA = "area", "In a partnership area"
    NO_LOCATION = "none", "No location"
    OUTSIDE = "outside", "Outside the partnership"


class FileKind(models.TextChoices):
    STREET = "street", "Street-level crime and ASB"
    OUTCOMES = "outcomes", "Outcomes"


class ImportStatus(models.TextChoices):
    LOADED = "loaded", "Loaded"
    REPLACED = "replaced", "Replaced by a re-published file"
    REFUSED = "refused", "Refused"
    UNCHANGED = "unchanged", "Already loaded (same file)"


class UploadStatus(models.TextChoices):
    """Where a file uploaded on the import page has got to (each CSV in it has its own
    `ImportStatus`)."""

    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Checking and loading"
    DONE = "done", "Done"
    REFUSED = "refused", "Refused: nothing was written"
    FAILED = "failed", "Failed"
