-- Field reports from the scene (issue #11 point 7): the time the report was recorded on the device, possibly
-- offline and hours before it reached the server. Shown as 现场记录于; it never meets or moves a deadline (the
-- server's arrival time does).
ALTER TABLE "reports" ADD COLUMN IF NOT EXISTS "captured_at" timestamp with time zone;
