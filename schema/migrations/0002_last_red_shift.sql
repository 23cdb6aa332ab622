CREATE TABLE `document_data` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`document_id` integer NOT NULL,
	`study_session_id` integer,
	`study_step_id` integer,
	`key` text NOT NULL,
	`value` text,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `document`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `document_data_conflict_key` ON `document_data` (`document_id`,(case when "study_session_id" is null then 0 else "study_session_id" end),(case when "study_step_id" is null then 0 else "study_step_id" end),`key`);--> statement-breakpoint
CREATE TABLE `tag` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`color_code` text DEFAULT 'info' NOT NULL,
	`user_id` integer NOT NULL,
	`public` integer DEFAULT false NOT NULL,
	`tag_set_id` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tag_set_id`) REFERENCES `tag_set`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "tag_color_code" CHECK("tag"."color_code" in ('info', 'warning', 'success', 'danger'))
);
--> statement-breakpoint
CREATE INDEX `tag_tag_set` ON `tag` (`tag_set_id`);--> statement-breakpoint
CREATE TABLE `tag_set` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`user_id` integer NOT NULL,
	`public` integer DEFAULT false NOT NULL,
	`project_id` integer,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tag_set_user` ON `tag_set` (`user_id`);--> statement-breakpoint
ALTER TABLE `document` ADD `uploaded_by_user_id` integer REFERENCES user(id);--> statement-breakpoint
ALTER TABLE `document` ADD `file_hash` text;--> statement-breakpoint
ALTER TABLE `document` ADD `file_size` integer;