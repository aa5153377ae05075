"""What a draft playbook would have done to the recent leads, beside the active one, without writing."""
