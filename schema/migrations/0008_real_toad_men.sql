CREATE TABLE `configuration` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`user_id` integer NOT NULL,
	`hide_in_frontend` integer DEFAULT false NOT NULL,
	`type` integer NOT NULL,
	`content` text NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "configuration_type" CHECK("configuration"."type" in (0, 1))
);
--> statement-breakpoint
CREATE TABLE `nav_element` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`icon` text,
	`description` text,
	`admin` integer DEFAULT false NOT NULL,
	`order` integer DEFAULT 0 NOT NULL,
	`group_id` integer,
	`path` text NOT NULL,
	`default` integer DEFAULT false NOT NULL,
	`component` text NOT NULL,
	`alias` text,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `nav_group`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `nav_element_name_unique` ON `nav_element` (`name`);--> statement-breakpoint
CREATE TABLE `nav_group` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`icon` text,
	`description` text,
	`admin` integer DEFAULT false NOT NULL,
	`order` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `nav_group_name_unique` ON `nav_group` (`name`);--> statement-breakpoint
CREATE TABLE `log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`level` text NOT NULL,
	`message` text NOT NULL,
	`service` text NOT NULL,
	`meta` text,
	`user_id` integer,
	`timestamp` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `log_timestamp` ON `log` (`timestamp`);--> statement-breakpoint
CREATE INDEX `log_level` ON `log` (`level`);--> statement-breakpoint
CREATE TABLE `statistic` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`action` text NOT NULL,
	`data` text,
	`user_id` integer NOT NULL,
	`session` text,
	`timestamp` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `statistic_user` ON `statistic` (`user_id`,`timestamp`);--> statement-breakpoint
CREATE TABLE `submission` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`created_by_user_id` integer,
	`project_id` integer,
	`parent_submission_id` integer,
	`ext_id` integer,
	`group` integer,
	`additional_settings` text,
	`validation_configuration_id` integer,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_id`) REFERENCES `project`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_submission_id`) REFERENCES `submission`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`validation_configuration_id`) REFERENCES `configuration`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `submission_user` ON `submission` (`user_id`);--> statement-breakpoint
CREATE TABLE `submission_document` (
	`document_id` integer PRIMARY KEY NOT NULL,
	`submission_id` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `document`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submission_id`) REFERENCES `submission`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `submission_document_submission` ON `submission_document` (`submission_id`);