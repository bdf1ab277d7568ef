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
    """The kinds of incident the recording standard covers (docs/recording-standard.md)."""

    ASB = "asb", "Anti-social behaviour"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    HATE_CRIME = "hate_crime", "Hate crime"
    HATE_INCIDENT = "hate_incident", "Hate incident (not a crime)"
    SEXUAL_VIOLENCE = "sexual_violence", "Sexual violence"
    CSE_CONCERN = "cse_concern", "Child sexual exploitation concern"


HATE_CATEGORIES = (IncidentCategory.HATE_CRIME, IncidentCategory.HATE_INCIDENT)


class AsbCategory(models.TextChoices):
    """The three national ASB categories (Home Office, 2011)."""

    PERSONAL = "personal", "Personal: aimed at a particular person or group"
    NUISANCE = "nuisance", "Nuisance: causing trouble or annoyance to a community"
    ENVIRONMENTAL = "environmental", "Environmental: harming public spaces or buildings"


class AbuseType(models.TextChoices):
    """Types of domestic abuse (Home Office definition; more than one may apply)."""

    PHYSICAL = "physical", "Physical"
    SEXUAL = "sexual", "Sexual"
    PSYCHOLOGICAL = "psychological", "Psychological or emotional"
    FINANCIAL = "financial", "Financial or economic"
    COERCIVE_CONTROL = "coercive_control", "Controlling or coercive behaviour"
    STALKING = "stalking", "Stalking and harassment"
    HONOUR_BASED = "honour_based", "Honour-based abuse"
    FORCED_MARRIAGE = "forced_marriage", "Forced marriage"


class Relationship(models.TextChoices):
    """The victim's relationship to the alleged perpetrator in domestic abuse."""

    PARTNER = "partner", "Current partner or spouse"
    EX_PARTNER = "ex_partner", "Former partner or spouse"
    PARENT = "parent", "Parent (the perpetrator is the victim's parent)"
    CHILD = "child", "Child (the perpetrator is the victim's son or daughter, 16 or over)"
    SIBLING = "sibling", "Brother or sister"
    OTHER_FAMILY = "other_family", "Other family member"
    NOT_KNOWN = "not_known", "Not known"


class HateStrand(models.TextChoices):
    """The five centrally monitored strands of hate crime; more than one may apply.

    Recorded as perceived by the victim or any other person, not as proven."""

    RACE = "race", "Race or ethnicity"
    RELIGION = "religion", "Religion or belief"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    DISABILITY = "disability", "Disability"
    TRANSGENDER = "transgender", "Transgender identity"


class Outcome(models.TextChoices):
    OPEN = "open", "Open: still being dealt with"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    ADVICE = "advice", "Advice or warning given"
    REFERRED = "referred", "Referred to another agency or service"
    CIVIL_ACTION = "civil_action", "Civil or tenancy action (injunction, notice, ABC)"
    CHARGED = "charged", "Charged or summonsed"
    OUT_OF_COURT = "out_of_court", "Caution or out-of-court disposal"
    VICTIM_DECLINED = "victim_declined", "Victim did not support action"


class InvolvementRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    PERPETRATOR = "perpetrator", "Alleged perpetrator"
    WITNESS = "witness", "Witness"
    REPORTER = "reporter", "Reporter (told the agency about it)"


class Flag(models.TextChoices):
    """Flags the repeat and high-risk rules (incidents/repeats.py) set on a victim's involvement."""

    REPEAT_ASB = "repeat_asb", "Repeat victim of anti-social behaviour"
    REPEAT_DOMESTIC_ABUSE = "repeat_domestic_abuse", "Repeat victim of domestic abuse"
    REPEAT_HATE = "repeat_hate", "Repeat victim of hate crime or incidents"
    VULNERABLE = "vulnerable", "Vulnerable victim"


class MatchStatus(models.TextChoices):
    """Where a suggested match between two agencies' records of a person stands."""

    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed: the same person"
    REJECTED = "rejected", "Rejected: not the same person"
