"""The usage and outcome signals a success score weighs (revenue/health.py), apart from it so the
command line names them in its help without loading the revenue domain."""

SUCCESS_SIGNALS = {"active_seat_share": 40, "key_feature_adoption": 30, "outcome_achieved": 30}
