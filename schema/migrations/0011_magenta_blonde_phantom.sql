CREATE TABLE `share` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_id` integer,
	`tag_set_id` integer,
	`user_id` integer,
	`user_role_id` integer,
	`role` text NOT NULL,
	`created_by_user_id` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `document`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tag_set_id`) REFERENCES `tag_set`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_role_id`) REFERENCES `user_role`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "share_role" CHECK("share"."role" in ('reader', 'annotator', 'editor')),
	CONSTRAINT "share_one_target" CHECK(("share"."document_id" is null) <> ("share"."tag_set_id" is null)),
	CONSTRAINT "share_one_grantee" CHECK(("share"."user_id" is null) <> ("share"."user_role_id" is null))
);
--> statement-breakpoint
CREATE INDEX `share_document` ON `share` (`document_id`);--> statement-breakpoint
CREATE INDEX `share_tag_set` ON `share` (`tag_set_id`);--> statement-breakpoint
CREATE INDEX `share_user` ON `share` (`user_id`);--> statement-breakpoint
CREATE INDEX `share_user_role` ON `share` (`user_role_id`);