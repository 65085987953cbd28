-- Up Migration
-- Tables the restorer proposed, per planning attempt; the recorded attempt's entries are the task's plan.
CREATE TABLE export_plan_entries (
  task_id uuid NOT NULL REFERENCES export_tasks (task_id) ON DELETE CASCADE,
  attempt uuid NOT NULL,
  table_index integer NOT NULL,
  entry jsonb NOT NULL,
  PRIMARY KEY (task_id, attempt, table_index)
);

-- At most one plan per task: the first attempt recorded wins, later ones are refused.
CREATE TABLE export_plans (
  task_id uuid PRIMARY KEY REFERENCES export_tasks (task_id) ON DELETE CASCADE,
  attempt uuid NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE export_plans;
DROP TABLE export_plan_entries;
