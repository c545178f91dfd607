import psycopg2
from markupsafe import Markup, escape

from odoo import Command, api, fields, models

from .common import sender_email_from, wake_job_runner


class ServiceWorkspacePost(models.Model):
    """A message waiting to be posted to an order's workspace (its Discuss channel).

    Posting to a channel costs some twenty queries (its members, their notifications, the
    bus), and a request that writes the channel's row meets every other post to it. The
    technician's buttons and the versions issued queue their post here instead (one row) and the job
    runner, the cron "Service Orders: post to the workspaces" triggered when a post is
    queued, posts it a moment later with its author, oldest first; a posted row is deleted.
    Made by the system only: no group has any right on it but the administrator's read."""

    _name = "service.workspace.post"
    _description = "Workspace Post Waiting"
    _order = "id"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade", index=True)
    body = fields.Html(sanitize=False, required=True)  # the addon's own text, escaped when queued
    author_id = fields.Many2one("res.partner", ondelete="cascade")
    email_from = fields.Char()
    attachment_ids = fields.Many2many("ir.attachment", string="Files")  # a version's PDF, as issued

    @api.model
    def _queue(self, orders, body, author, attachments=None):
        """Queue ``body`` (with ``attachments``) for the workspace of each of ``orders`` (those
        that have one), as ``author`` (a user), and wake the job runner."""
        orders = orders.filtered("channel_id")
        if not orders:
            return self
        # the body is what message_post would have made of it: a plain text is escaped
        html = body if isinstance(body, Markup) else escape(body)
        email_from = author.email_formatted or sender_email_from(self.env)
        # sudo: the queue is the system's; the caller acted on these orders after its checks
        posts = self.sudo().create([{"order_id": order.id, "body": html, "author_id": author.partner_id.id,
                                     "email_from": email_from,
                                     "attachment_ids": [Command.set(attachments.ids)] if attachments else []}
                                    for order in orders])
        wake_job_runner(self.env, "service_order.ir_cron_post_to_workspaces")
        return posts

    @api.model
    def _post_pending(self, batch=200):
        """The job runner: post the waiting messages, oldest first, a batch per run (the cron
        commits between runs), and delete them once posted. The posts of one author on one
        order that waited together go out as one message, a line each: a busy hour's status
        changes cost the channel one post per technician and run, not one per tap."""
        # sudo: the job runs as the system, for posts queued by users' actions
        posts = self.sudo().search([], order="id", limit=batch + 1)
        groups = {}
        for post in posts[:batch]:
            groups.setdefault((post.order_id, post.author_id, post.email_from), posts.browse())
            groups[post.order_id, post.author_id, post.email_from] |= post
        done = self.sudo().browse()
        for (order, author, email_from), group in groups.items():
            bodies = [Markup(post.body) for post in group]
            try:
                # a request posting to the same channel right now (a version issued) may win the
                # channel's row: that order's posts wait for the next run, the others go out
                with self.env.cr.savepoint():
                    if order.channel_id:
                        order.channel_id.sudo().message_post(
                            body=Markup("<br/>").join(bodies), author_id=author.id, email_from=email_from,
                            attachment_ids=group.attachment_ids.ids,
                            message_type="comment", subtype_xmlid="mail.mt_comment")
            except psycopg2.errors.SerializationFailure:
                continue
            done |= group
        done.unlink()
        remaining = len(posts) - len(done)
        if remaining and not done:
            # nothing went out this run: try again in a new transaction, a moment later
            wake_job_runner(self.env, "service_order.ir_cron_post_to_workspaces")
        self.env["ir.cron"]._notify_progress(done=len(done), remaining=remaining)
        return True
