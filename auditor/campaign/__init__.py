"""Campaigns: the folder on disk, the grid of runs, resuming, and scoring."""

from auditor.campaign.folder import CampaignFolder
from auditor.campaign.plan import Campaign, CampaignSpec, load_campaign

__all__ = ["Campaign", "CampaignFolder", "CampaignSpec", "load_campaign"]
