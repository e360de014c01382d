"""Screens by name, built lazily on first use. Other parts add their rows here."""
from __future__ import annotations

import importlib

SCREENS: dict[str, str] = {
    "feedback_question": "screens.feedback_question:FeedbackQuestionScreen",
    "feedback_reasons": "screens.feedback_reasons:FeedbackReasonsScreen",
    "feedback_thanks": "screens.feedback_thanks:FeedbackThanksScreen",
    "home": "screens.home:HomeScreen",
    "staff_pin": "screens.staff_pin:StaffPinScreen",
    "staff_home": "screens.staff_home:StaffHomeScreen",
    "staff_printer": "screens.staff_printer:StaffPrinterScreen",
    "staff_central": "screens.staff_central:StaffCentralScreen",
    "staff_confirm": "screens.staff_confirm:StaffConfirmScreen",
    "wayfinding_destinations": "screens.wayfinding_destinations:WayfindingDestinationsScreen",
    "wayfinding_map": "screens.wayfinding_map:WayfindingMapScreen",
    "ticket_services": "screens.ticket_services:TicketServicesScreen",
    "ticket_appointment": "screens.ticket_appointment:TicketAppointmentScreen",
    "ticket_issued": "screens.ticket_issued:TicketIssuedScreen",
    "hall_display": "screens.hall_display:HallDisplayScreen",
    "help": "screens.help:HelpScreen",
}

# The first screen of each device role.
ROLE_START = {
    "feedback": "feedback_question",
    "home": "home",
    "wayfinding": "wayfinding_destinations",
    "tickets": "ticket_services",
    "display": "hall_display",
}


# The visitor screens reachable from each role's start screen: built ahead, one per frame, once
# the start screen is up (screens/app.py `_prebuild`), so a visitor's first tap on a kiosk that
# has just started does not wait for a screen to be built (the route map: ~40 ms).
REACHABLE = {
    "feedback": ("feedback_reasons", "feedback_thanks"),
    "home": ("feedback_question", "feedback_reasons", "feedback_thanks", "ticket_services",
             "ticket_issued", "ticket_appointment", "wayfinding_destinations", "wayfinding_map"),
    "wayfinding": ("wayfinding_map",),
    "tickets": ("ticket_issued", "ticket_appointment"),
    "display": (),
}


def screen_class(name: str):
    module, cls = SCREENS[name].split(":")
    return getattr(importlib.import_module(module), cls)
