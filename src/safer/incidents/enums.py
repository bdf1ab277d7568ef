"""The recording standard's lists: one set of words for every agency."""

from __future__ import annotations

from django.db import models


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Describes themselves another way"
    NOT_KNOWN = "not_known", "Not known or not stated"


class Ethnicity(models.TextChoices):
    """The 2011 Census categories for England and Wales (ONS), plus "not stated"."""

    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY = "white_gypsy", "White: Gypsy or Irish Traveller"
    WHITE_OTHER = "white_other", "White: any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_wbc", "Mixed: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_wba", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "mixed_wa", "Mixed: White and Asian"
    MIXED_OTHER = "mixed_other", "Mixed: any other mixed or multiple ethnic background"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black or Black British: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black or Black British: Caribbean"
    BLACK_OTHER = "black_other", "Black or Black British: any other Black background"
    ARAB = "arab", "Other ethnic group: Arab"
    OTHER = "other", "Other ethnic group: any other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class ContactMethod(models.TextChoices):
    """Ways it is safe to contact a person (for a victim of abuse, some are not)."""

    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    VISIT = "visit", "Home visit"
    VIA_AGENCY = "via_agency", "Only through a named agency worker"


class VulnerabilityMarker(models.TextChoices):
    DISABILITY = "disability", "Physical disability"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Drug or alcohol misuse"
    CHILD = "child", "Child or young person"
    OLDER_PERSON = "older_person", "Older person"
    PREGNANCY = "pregnancy", "Pregnancy"
    LANGUAGE = "language", "Needs an interpreter"
    ISOLATION = "isolation", "Socially isolated"
    REPEAT_VICTIM = "repeat_victim", "Repeat victim"


class IncidentCategory(models.TextChoices):
    ASB = "asb", "Anti-social behaviour"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    HATE_CRIME = "hate_crime", "Hate crime"


class InvolvementRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    PERPETRATOR = "perpetrator", "Alleged perpetrator"
    WITNESS = "witness", "Witness"
