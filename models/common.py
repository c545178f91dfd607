"""What every part of the addon shares: the role groups, the wizard action, and the bounds
of what a service job can be."""
import io
import math
from datetime import datetime
from functools import partial

import pytz
from markupsafe import Markup, escape
from PIL import Image

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.misc import get_lang

MANAGER_GROUP = "service_order.group_service_order_manager"
SUPERVISOR_GROUP = "service_order.group_service_order_supervisor"
DISPATCHER_GROUP = "service_order.group_service_order_dispatcher"
TECHNICIAN_GROUP = "service_order.group_service_order_technician"
# Odoo's own rights on sale orders and invoices: billing follows them
SALESMAN_GROUP = "sales_team.group_sale_salesman"
BILLING_GROUP = "account.group_account_invoice"
SALE_READERS = f"{SALESMAN_GROUP},{BILLING_GROUP}"


def technicians_among(env, users):
    """Those of ``users`` who are technicians (members of the technician group)."""
    # sudo: group membership only (a technician may not read the group's users); nothing else
    # of the group or of the users is read
    return users & env.ref(TECHNICIAN_GROUP).sudo().users


def field_technicians_domain(env):
    """The users the assign lists offer: technicians who work in the field, not the office roles
    (dispatchers and supervisors include the technician's rights, not its job)."""
    # the groups' ids from the cached XML ids (env.ref would check each group exists: a query
    # on every page that reads the order's field workers)
    group_id = env["ir.model.data"]._xmlid_to_res_id
    return [("groups_id", "in", [group_id(TECHNICIAN_GROUP)]), ("groups_id", "not in", [group_id(DISPATCHER_GROUP)]),
            ("share", "=", False)]


def wizard_action(title, model, context):
    """The action opening ``model`` (a wizard) in a dialog, with ``context``."""
    return {
        "type": "ir.actions.act_window",
        "name": title,
        "res_model": model,
        "view_mode": "form",
        "target": "new",
        "context": context,
    }


# What a service job can be: beyond these, a value is a typing slip, not a job.
MAX_HOURS = 1000.0        # estimated hours of one work item
MAX_QUANTITY = 100000.0   # quantity of one part or material line
MAX_SHORT_TEXT = 500      # a complaint, a name
MAX_LONG_TEXT = 20000     # a diagnosis, a description, notes


def check_number(env, value, label, maximum, positive=False):
    """Refuse ``value`` unless it is a finite number from 0 (excluded if ``positive``) to
    ``maximum``: NaN, infinities and absurd sizes get a clear message, not a raw error."""
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number < 0 or (positive and number == 0) or number > maximum:
        # the bound is formatted outside the _() calls: the term extractor cannot read f-strings
        bound = f"{maximum:g}"
        allowed = env._("greater than 0 and at most %(max)s", max=bound) if positive \
            else env._("from 0 to %(max)s", max=bound)
        raise ValidationError(env._(
            "%(label)s must be a number %(range)s, not %(value)s.", label=label, value=value, range=allowed))
    return number


def check_text(env, value, label, maximum, required=False):
    """Refuse a text that must say something and is blank, or that is absurdly long."""
    text = value or ""
    if required and not str(text).strip():
        raise ValidationError(env._("%(label)s cannot be empty.", label=label))
    if len(text) > maximum:
        raise ValidationError(env._("%(label)s is too long: %(length)s characters, at most %(max)s.",
                                    label=label, length=len(text), max=maximum))
    return text


# A schedule is planned work: from 2000 to ten years ahead, a job of at most a year. Beyond
# that, a date is a typing slip (year 0001 or 9999), refused with a message.
SCHEDULE_FIRST_DATE = datetime(2000, 1, 1)
SCHEDULE_YEARS_AHEAD = 10
MAX_SCHEDULE_DAYS = 366


def schedule_window():
    """(first, last) moments a schedule may take, today."""
    now = fields.Datetime.now()
    return SCHEDULE_FIRST_DATE, now.replace(year=now.year + SCHEDULE_YEARS_AHEAD, month=12, day=31)


def check_schedule_date(env, value, label):
    """Refuse a date or date-time (or its string) outside ``schedule_window()``; return it."""
    if not value:
        return value
    try:
        moment = fields.Datetime.to_datetime(value)
    except (TypeError, ValueError):
        moment = None
    first, last = schedule_window()
    if moment is None or not first <= moment <= last:
        raise ValidationError(env._(
            "%(label)s (%(value)s) is not a plausible date for planned work: from %(first)s to %(last)s.",
            label=label, value=value, first=first.date(), last=last.date()))
    return value


# A photo or a signature: a raster image (by its bytes, never by its name), at most 10 MB (a
# phone's photo is 2-6 MB). Vector images (SVG) hold scripts and links: refused.
RASTER_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"})
MAX_PICTURE_BYTES = 10 * 1024 * 1024


def check_picture(env, raw, label):
    """Refuse ``raw`` (bytes) unless it is a raster image PIL can read, of at most
    MAX_PICTURE_BYTES; ``label`` names it in the message."""
    raw = raw or b""
    if len(raw) > MAX_PICTURE_BYTES:
        size, bound = f"{len(raw) / 1024 / 1024:.1f}", f"{MAX_PICTURE_BYTES // 1024 // 1024}"
        raise ValidationError(env._("%(label)s: the picture is %(size)s MB, at most %(max)s MB are kept.",
                                    label=label, size=size, max=bound))
    problem = guess_mimetype(raw, default="") not in RASTER_IMAGE_TYPES
    if not problem:
        try:
            with Image.open(io.BytesIO(raw)) as image:
                image.verify()
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            problem = True
    if problem:
        raise ValidationError(env._("%(label)s: add a picture (JPEG, PNG, WebP or GIF).", label=label))
    return raw


def text_to_html(text):
    """``text`` as HTML that shows it as typed (an activity's note is HTML): escaped, its lines
    kept; never markup, an image or a link from what a user typed."""
    lines = str(text or "").splitlines() or [""]
    return Markup("<p>%s</p>") % Markup("<br/>").join(escape(line) for line in lines)


def sender_email_from(env):
    """The address messages go out from when the user acting has none (a technician's
    phone account often has none): the company's, else Odoo's default sender."""
    company = env.company
    return company.email_formatted or env["ir.mail_server"]._get_default_from_address() or False


def compute_author_with_fallback(compute, env, author_id, email_from, raise_on_email):
    """``mail.thread._message_compute_author`` (given as ``compute``) that falls back on the
    company's sender address instead of refusing to post for a user without e-mail. The
    author stays the user: only the technical "from" of notifications changes."""
    author_id, email_from = compute(author_id, email_from, raise_on_email=False)
    email_from = email_from or sender_email_from(env)
    if not email_from and raise_on_email and not env.su:
        raise UserError(env._("Unable to send message: neither you nor the company has an e-mail address."))
    return author_id, email_from


def selection_labels(model, field_name):
    """``{value: label}`` of a selection field of ``model``, in the language of its
    environment (the lists of states in the code hold the English source)."""
    return dict(model._fields[field_name]._description_selection(model.env))


def format_moment(env, value, tz=None):
    """One date-time as the web client shows it to the user of ``env`` (their language's date
    and time formats without seconds, their time zone, or ``tz``): for messages and errors."""
    return datetime_formatter(env, tz)(value) if value else ""


def datetime_formatter(env, tz=None):
    """Formats the many dates of a page as the web client shows them: the language's date and
    time formats (without seconds), in the request's time zone (the web client's context, else
    the user's); the language and the zone are looked up once, not for every value (a plain
    ``strftime`` per value)."""
    lang = get_lang(env)
    pattern = f"{lang.date_format} {lang.time_format.replace(':%S', '')}"
    try:
        zone = pytz.timezone(tz or env.context.get("tz") or env.user.tz or "UTC")
    except pytz.UnknownTimeZoneError:
        zone = pytz.utc

    def format_value(value):
        if not value:
            return ""
        return pytz.utc.localize(value).astimezone(zone).strftime(pattern)
    return format_value


WOKEN_JOB_RUNNERS = "service_order.woken_job_runners"


def wake_job_runner(env, xmlid):
    """Wake the job runner ``xmlid`` (a cron) when the transaction commits (``ir.cron._trigger``),
    once per transaction however many records asked for it."""
    woken = env.cr.precommit.data.get(WOKEN_JOB_RUNNERS)
    if woken is None:
        woken = env.cr.precommit.data[WOKEN_JOB_RUNNERS] = set()
        env.cr.precommit.add(partial(_trigger_job_runners, env))
    woken.add(xmlid)


def _trigger_job_runners(env):
    """The precommit of ``wake_job_runner``: what ``ir.cron._trigger()`` does (its
    ``_trigger_list``), for every cron woken in the transaction at once: a trigger row each, in
    one create, and one notice to the cron workers after the commit. (``_trigger()`` works on one
    cron: a closing, which wakes two, would read them and insert twice.) A trigger of an
    inactive cron is ignored by the cron workers, as ``_trigger`` skips it."""
    xmlids = sorted(env.cr.precommit.data.pop(WOKEN_JOB_RUNNERS, set()))
    cron_ids = [env["ir.model.data"]._xmlid_to_res_id(xmlid) for xmlid in xmlids]
    if cron_ids:
        now = fields.Datetime.now()
        # sudo: the trigger rows are the job runners'; no role has rights on them
        env["ir.cron.trigger"].sudo().create([{"cron_id": cron_id, "call_at": now} for cron_id in cron_ids])
        env.cr.postcommit.add(env["ir.cron"].browse(cron_ids[0])._notifydb)
