CREATE TABLE `auth_session` (
	`token_digest` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `auth_session_user` ON `auth_session` (`user_id`,`token_digest`);--> statement-breakpoint
CREATE TABLE `role_right_matching` (
	`user_role_id` integer NOT NULL,
	`user_right_name` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_role_id`, `user_right_name`),
	FOREIGN KEY (`user_role_id`) REFERENCES `user_role`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_right_name`) REFERENCES `user_right`(`name`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `user` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_name` text NOT NULL,
	`email` text NOT NULL,
	`first_name` text,
	`last_name` text,
	`password_hash` text,
	`accept_terms` integer DEFAULT false NOT NULL,
	`accept_stats` integer DEFAULT false NOT NULL,
	`accept_data_sharing` integer DEFAULT false NOT NULL,
	`accepted_at` integer,
	`last_login_at` integer,
	`ext_id` text,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_user_name_unique` ON `user` (`user_name`);--> statement-breakpoint
CREATE UNIQUE INDEX `user_email_unique` ON `user` (`email`);--> statement-breakpoint
CREATE TABLE `user_right` (
	`name` text PRIMARY KEY NOT NULL,
	`description` text,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_role` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_role_name_unique` ON `user_role` (`name`);--> statement-breakpoint
CREATE TABLE `user_role_matching` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`user_role_id` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_role_id`) REFERENCES `user_role`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `user_role_matching_user` ON `user_role_matching` (`user_id`);--> statement-breakpoint
CREATE TABLE `document` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`user_id` integer NOT NULL,
	`public` integer DEFAULT false NOT NULL,
	`type` integer DEFAULT 1 NOT NULL,
	`project_id` integer,
	`parent_document_id` integer,
	`hide_in_frontend` integer DEFAULT false NOT NULL,
	`original_filename` text,
	`ready_for_review` integer DEFAULT false NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `document_hash_unique` ON `document` (`hash`);--> statement-breakpoint
CREATE INDEX `document_user` ON `document` (`user_id`);--> statement-breakpoint
CREATE TABLE `setting` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text,
	`type` text DEFAULT 'string' NOT NULL,
	`description` text,
	`only_admin` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_setting` (
	`key` text NOT NULL,
	`user_id` integer NOT NULL,
	`value` text,
	PRIMARY KEY(`key`, `user_id`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
