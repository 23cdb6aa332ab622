CREATE TABLE `project` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`user_id` integer NOT NULL,
	`description` text,
	`public` integer DEFAULT false NOT NULL,
	`closed` integer,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `project_user` ON `project` (`user_id`);--> statement-breakpoint
CREATE TABLE `study` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`user_id` integer NOT NULL,
	`created_by_user_id` integer,
	`workflow_id` integer NOT NULL,
	`collab` integer DEFAULT false NOT NULL,
	`tag_set_id` integer,
	`resumable` integer DEFAULT false NOT NULL,
	`description` text,
	`time_limit` integer DEFAULT 0 NOT NULL,
	`multiple_submit` integer DEFAULT false NOT NULL,
	`limit_sessions` integer DEFAULT 0 NOT NULL,
	`limit_sessions_per_user` integer DEFAULT 0 NOT NULL,
	`closed` integer,
	`user_id_closed` integer,
	`template` integer DEFAULT false NOT NULL,
	`start` integer,
	`end` integer,
	`project_id` integer,
	`anonymize` integer DEFAULT false NOT NULL,
	`parent_study_id` integer,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflow`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tag_set_id`) REFERENCES `tag_set`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id_closed`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_id`) REFERENCES `project`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_study_id`) REFERENCES `study`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `study_hash_unique` ON `study` (`hash`);--> statement-breakpoint
CREATE INDEX `study_user_template` ON `study` (`user_id`,`template`);--> statement-breakpoint
CREATE INDEX `study_project` ON `study` (`project_id`);--> statement-breakpoint
CREATE TABLE `study_session` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hash` text NOT NULL,
	`study_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`study_step_id` integer,
	`number_steps` integer DEFAULT 0 NOT NULL,
	`study_step_id_max` integer,
	`start` integer,
	`end` integer,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`study_id`) REFERENCES `study`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`study_step_id`) REFERENCES `study_step`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`study_step_id_max`) REFERENCES `study_step`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `study_session_hash_unique` ON `study_session` (`hash`);--> statement-breakpoint
CREATE INDEX `study_session_study` ON `study_session` (`study_id`);--> statement-breakpoint
CREATE INDEX `study_session_user` ON `study_session` (`user_id`);--> statement-breakpoint
CREATE TABLE `study_step` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`study_id` integer NOT NULL,
	`workflow_step_id` integer,
	`step_type` integer NOT NULL,
	`document_id` integer,
	`study_step_previous` integer,
	`study_step_document` integer,
	`allow_backward` integer DEFAULT false NOT NULL,
	`configuration` text,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`study_id`) REFERENCES `study`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workflow_step_id`) REFERENCES `workflow_step`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `document`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`study_step_previous`) REFERENCES `study_step`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`study_step_document`) REFERENCES `study_step`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "study_step_type" CHECK("study_step"."step_type" in (1, 2, 3))
);
--> statement-breakpoint
CREATE INDEX `study_step_study` ON `study_step` (`study_id`);--> statement-breakpoint
CREATE TABLE `comment_state` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`document_id` integer,
	`study_session_id` integer,
	`study_step_id` integer,
	`comment_id` text NOT NULL,
	`state` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `document`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`study_session_id`) REFERENCES `study_session`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`study_step_id`) REFERENCES `study_step`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `comment_state_user` ON `comment_state` (`user_id`);--> statement-breakpoint
CREATE TABLE `user_environment` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`document_id` integer,
	`study_session_id` integer,
	`study_step_id` integer,
	`key` text NOT NULL,
	`value` text,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `document`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`study_session_id`) REFERENCES `study_session`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`study_step_id`) REFERENCES `study_step`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `user_environment_user` ON `user_environment` (`user_id`);--> statement-breakpoint
CREATE TABLE `workflow` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `workflow_step` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workflow_id` integer NOT NULL,
	`step_type` integer NOT NULL,
	`workflow_step_previous` integer,
	`allow_backward` integer DEFAULT false NOT NULL,
	`workflow_step_document` integer,
	`configuration` text,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflow`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workflow_step_previous`) REFERENCES `workflow_step`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workflow_step_document`) REFERENCES `workflow_step`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "workflow_step_type" CHECK("workflow_step"."step_type" in (1, 2, 3))
);
--> statement-breakpoint
CREATE INDEX `workflow_step_workflow` ON `workflow_step` (`workflow_id`);