"""Every write to the agreement and its performance goes through these actions."""

from __future__ import annotations

from safer.strategy.actions.agreement import LoadReport, do_load_agreement
from safer.strategy.actions.history import record_change
from safer.strategy.actions.performance import (
    do_approve_update,
    do_close_period,
    do_compute_measure_values,
    do_correct_measure_value,
    do_define_measure,
    do_open_period,
    do_return_update,
    do_save_action_update,
    do_save_measure_value,
    do_send_reminders,
    do_set_action_plan,
    do_set_target,
    do_set_theme_lead,
    do_submit_update,
)
from safer.strategy.actions.refresh import (
    do_add_plan_item,
    do_approve_plan,
    do_refresh_plan,
    do_remove_plan_item,
    do_reword_plan_item,
)

__all__ = [
    "LoadReport",
    "do_add_plan_item",
    "do_approve_plan",
    "do_approve_update",
    "do_close_period",
    "do_compute_measure_values",
    "do_correct_measure_value",
    "do_define_measure",
    "do_load_agreement",
    "do_open_period",
    "do_refresh_plan",
    "do_remove_plan_item",
    "do_return_update",
    "do_reword_plan_item",
    "do_save_action_update",
    "do_save_measure_value",
    "do_send_reminders",
    "do_set_action_plan",
    "do_set_target",
    "do_set_theme_lead",
    "do_submit_update",
    "record_change",
]
