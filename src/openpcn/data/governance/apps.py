from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "openpcn.data.governance"
    label = "governance"
    verbose_name = "A PCN's governance: agreement, decisions, meetings, actions, CD time, maturity"
