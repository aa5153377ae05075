"""activity references checked per statement on PostgreSQL: a touch still names a person, and a lead
and a campaign when it has them, that exist, but an insert checks all its rows at once

PostgreSQL checks a foreign key row by row: each new touch ran one `SELECT ... FOR KEY SHARE` per
reference (person, lead, campaign), about 29 µs of the server's CPU per row of an activities import,
most of its `COPY`. Here the three foreign keys of `activities` give way to a statement-level trigger
over the statement's new rows (a transition table), one anti-join per INSERT, COPY or UPDATE: a row
naming a person, lead or campaign that does not exist fails the statement with `foreign_key_violation`,
as the foreign key did. A person, lead or campaign that a touch names cannot be deleted, nor its id
changed (a row trigger on each, which runs only on those deletes and id changes). Unlike the foreign
key, the check takes no lock on the rows it reads: a delete racing an insert could leave a touch
naming nobody, and revteam deletes none of the three. SQLite keeps its foreign keys (they cost
nothing measurable there).

Revision ID: 0030
Revises: 0032
"""

from alembic import op

revision = "0030"
down_revision = "0032"
branch_labels = None
depends_on = None

# (the foreign key, its column in activities, the table it names)
_REFERENCES = (("fk_activities_person_id_people", "person_id", "people"),
               ("fk_activities_lead_id_leads", "lead_id", "leads"),
               ("fk_activities_campaign_id_campaigns", "campaign_id", "campaigns"))

# A new touch's references joined to the rows they name: one join each, planned for the statement's row count.
_JOINS = " ".join(f"LEFT JOIN {table} ON {table}.id = new_touch.{column}" for _, column, table in _REFERENCES)
_MISSING = " OR ".join(f"(new_touch.{column} IS NOT NULL AND {table}.id IS NULL)" for _, column, table in _REFERENCES)

_CHECK_NEW_ROWS = f"""
CREATE FUNCTION activities_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE orphan record;
BEGIN
  SELECT new_touch.* INTO orphan FROM new_activities AS new_touch {_JOINS} WHERE {_MISSING} LIMIT 1;
  IF FOUND THEN
    RAISE foreign_key_violation USING
      MESSAGE = format('activities: touch (person %s, lead %s, campaign %s) names a row that does not exist',
                       orphan.person_id, coalesce(orphan.lead_id::text, 'none'),
                       coalesce(orphan.campaign_id::text, 'none'));
  END IF;
  RETURN NULL;
END $$"""

_KEEP_NAMED = """
CREATE FUNCTION activities_keep_named() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE named boolean;
BEGIN
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM activities WHERE %I = $1)', TG_ARGV[0]) INTO named USING OLD.id;
  IF named THEN
    RAISE foreign_key_violation USING
      MESSAGE = format('%s %s is named by activities: it cannot be deleted or renumbered', TG_TABLE_NAME, OLD.id);
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _, _ in _REFERENCES:
        op.execute(f"ALTER TABLE activities DROP CONSTRAINT {name}")
    op.execute(_CHECK_NEW_ROWS)
    for event in ("INSERT", "UPDATE"):
        op.execute(f"CREATE TRIGGER activities_references_{event.lower()} AFTER {event} ON activities "
                   "REFERENCING NEW TABLE AS new_activities FOR EACH STATEMENT EXECUTE FUNCTION "
                   "activities_check_references()")
    op.execute(_KEEP_NAMED)
    for _, column, table in _REFERENCES:
        op.execute(f"CREATE TRIGGER {table}_named_by_activities BEFORE DELETE OR UPDATE OF id ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION activities_keep_named('{column}')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for _, _, table in _REFERENCES:
        op.execute(f"DROP TRIGGER {table}_named_by_activities ON {table}")
    op.execute("DROP FUNCTION activities_keep_named()")
    for event in ("insert", "update"):
        op.execute(f"DROP TRIGGER activities_references_{event} ON activities")
    op.execute("DROP FUNCTION activities_check_references()")
    for name, column, table in _REFERENCES:
        op.execute(f"ALTER TABLE activities ADD CONSTRAINT {name} FOREIGN KEY ({column}) REFERENCES {table} (id)")
