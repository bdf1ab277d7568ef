"""Migrations that carry data: what was loaded before them is still counted after."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("crimedata", "0004_police_upload")]
AFTER = [("crimedata", "0005_street_files_kept_as_counts")]


@pytest.mark.django_db(transaction=True)
def test_records_loaded_before_counts_were_kept_are_counted_by_lsoa_and_outcome() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    force = old.get_model("crimedata", "Force").objects.create(name="Lancashire Constabulary")
    source = old.get_model("crimedata", "PoliceImport").objects.create(
        file_name="2021-04-lancashire-street.csv", checksum="0" * 64, status="loaded"
    )
    record = {
        "source_id": source.pk,
        "force_id": force.pk,
        "month": date(2021, 4, 1),
        "falls_within": "Lancashire Constabulary",
        "lsoa_code": "E01025321",
        "lsoa_name": "Ribble Valley 005A",
        "crime_type": "burglary",
        "place": "outside",
    }
    street_crime = old.get_model("crimedata", "StreetCrime")
    street_crime.objects.create(**record, outcome="Under investigation")
    street_crime.objects.create(**record, outcome="Under investigation")
    street_crime.objects.create(**record, outcome="Local resolution")
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        counts = new.get_model("crimedata", "LsoaOutcomeCount").objects.values_list(
            "lsoa_code", "outcome", "count"
        )
        assert sorted(counts) == [
            ("E01025321", "Local resolution", 1),
            ("E01025321", "Under investigation", 2),
        ]
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
