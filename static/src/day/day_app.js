/** @odoo-module */
// The technician's day on the phone, with or without network (controllers/service_day.py).
// Every tap is kept as an operation on the phone and shown at once; the operations go to the
// server when the network is there, in order, and the day pack comes back from it.
import { Component, onMounted, onWillUnmount, useState } from "@odoo/owl";

import { DayDB } from "./db";
import { downscale } from "./images";
import { findItem, project } from "./projection";
import { SignaturePad } from "./signature_pad";
import { DayQueue, OfflineError, rpc, SessionExpiredError } from "./sync";

const DAY = "/service_order/day/";
const PACK_FORMAT = 1;
const SHELL = "so-day-shell";
const DOCS = "so-day-docs";
const SYNC_EVERY = 30000; // while operations wait and the network is there
const PACK_EVERY = 300000; // the day pack, refreshed in the background
// the step form each button may ask (service.order.steps.mixin), and whether it needs a reason
const STEP_OF = { depart: "depart", arrive: "arrive", pause: "pause", complete: "complete", cancel: "cancel" };
const REASON_KINDS = ["cancel", "not_done", "decline"];
const ITEM_BUTTONS = {
    draft: [["work_item_submit", "submit_item"], ["work_item_cancel", "cancel_item"]],
    approved: [["work_item_start_repair", "start_repair"]],
    in_repair: [["work_item_submit_repair", "submit_repair"]],
    repair_submitted: [["work_item_complete", "complete_repair"]],
};
const OPEN_ITEM_STATES = ["draft", "approved", "in_repair", "repair_submitted", "waiting_dispatcher",
    "waiting_customer", "waiting_repair_approval"];

export class DayApp extends Component {
    static template = "service_order.DayApp";
    static components = { SignaturePad };
    static props = { config: Object };

    setup() {
        const config = this.props.config;
        this.texts = config.texts;
        this.uid = config.uid;
        this.db = new DayDB();
        this.queue = new DayQueue(this.db, this.uid);
        this.state = useState({
            online: navigator.onLine,
            pack: null,
            orders: [],
            screen: "day",
            tab: "today",
            orderId: null,
            form: null,
            refused: [],
            waiting: 0,
            lastSync: null,
            syncing: false,
            sessionExpired: false,
            othersWaiting: 0,
            ready: false,
            notice: "",
        });
        this.timers = [];
        this.onOnline = () => {
            this.state.online = true;
            this.syncNow();
        };
        this.onOffline = () => (this.state.online = false);
        onMounted(() => this.start());
        onWillUnmount(() => {
            window.removeEventListener("online", this.onOnline);
            window.removeEventListener("offline", this.onOffline);
            this.timers.forEach(clearInterval);
        });
    }

    // ------------------------------------------------------------------ start, sync, pack
    async start() {
        window.addEventListener("online", this.onOnline);
        window.addEventListener("offline", this.onOffline);
        await this.queue.load();
        const kept = await this.db.get("pack", this.uid);
        if (kept && kept.format === PACK_FORMAT) {
            this.state.pack = kept;
        }
        this.state.othersWaiting = await this.queue.othersWaiting();
        this.refreshView();
        this.state.ready = true;
        document.body.dataset.soDayBooted = "1";
        this.timers.push(
            setInterval(() => this.queue.waiting.length && navigator.onLine && this.syncNow(), SYNC_EVERY),
            setInterval(() => navigator.onLine && this.syncNow(), PACK_EVERY)
        );
        if (navigator.onLine) {
            await this.syncNow();
        }
        await this.keepShell();
    }

    refreshView() {
        const state = this.state;
        state.orders = project(state.pack, this.queue.unsettled, this.queue.itemIds);
        // the refused operations, one card per order and reason (a cancelled order refuses all)
        const groups = new Map();
        for (const op of this.queue.refused) {
            const key = `${op.order_id}|${op.message}`;
            if (!groups.has(key)) {
                groups.set(key, { key, order_name: op.order_name, message: op.message, kinds: [], ops: [] });
            }
            const group = groups.get(key);
            group.ops.push(op);
            if (!group.kinds.includes(op.kind)) {
                group.kinds.push(op.kind);
            }
        }
        state.refused = [...groups.values()];
        state.waiting = this.queue.waiting.length;
        state.lastSync = this.queue.lastSync;
        document.body.dataset.soDayWaiting = String(state.waiting);
    }

    /** Send what waits, then fetch the day pack again. */
    async syncNow() {
        if (this.state.syncing) {
            return this.syncing;
        }
        this.state.syncing = true;
        this.syncing = (async () => {
            try {
                await this.queue.sync();
                await this.loadPack();
                this.state.sessionExpired = false;
                this.state.online = true;
            } catch (error) {
                if (error instanceof SessionExpiredError) {
                    this.state.sessionExpired = true;
                } else if (error instanceof OfflineError) {
                    this.state.online = false; // no network, or the server does not answer
                } else {
                    this.state.notice = error.message || String(error);
                }
            } finally {
                this.state.syncing = false;
                this.refreshView();
                document.body.dataset.soDaySynced = String(Date.now());
            }
        })();
        return this.syncing;
    }

    async loadPack() {
        const pack = await rpc(`${DAY}pack`);
        if (pack.user.id !== this.uid) {
            throw new SessionExpiredError("another user");
        }
        await this.db.put("pack", { uid: this.uid, ...pack });
        this.state.pack = pack;
        await this.queue.settle(pack.built);
        await this.keepDocuments(pack);
    }

    /** The page and its assets, kept by the service worker's cache for a reload offline. */
    async keepShell() {
        if (!("serviceWorker" in navigator) || !window.caches) {
            return;
        }
        try {
            await navigator.serviceWorker.register(`${DAY}sw.js`, { scope: DAY });
            await navigator.serviceWorker.ready;
            if (!navigator.onLine) {
                return;
            }
            const assets = [...document.querySelectorAll("script[src], link[rel=stylesheet][href]")]
                .map((node) => new URL(node.src || node.href, location.href))
                .filter((url) => url.origin === location.origin)
                .map((url) => url.pathname + url.search);
            const cache = await caches.open(SHELL);
            await cache.addAll([DAY, ...assets]);
            for (const request of await cache.keys()) {
                const path = new URL(request.url).pathname;
                if (path.startsWith("/web/assets/") && !assets.some((asset) => asset.startsWith(path))) {
                    await cache.delete(request);
                }
            }
            document.body.dataset.soDayShell = "1";
        } catch (error) {
            console.warn("The day page could not be kept for offline use", error);
        }
    }

    /** The latest issued PDF of each order of the pack, kept for offline reading. */
    async keepDocuments(pack) {
        if (!window.caches) {
            return;
        }
        const cache = await caches.open(DOCS);
        const urls = pack.orders.filter((order) => order.document).map((order) => order.document.url);
        for (const url of urls) {
            if (!(await cache.match(url))) {
                try {
                    await cache.add(url);
                } catch {
                    // kept at the next refresh
                }
            }
        }
        for (const request of await cache.keys()) {
            if (!urls.includes(new URL(request.url).pathname)) {
                await cache.delete(request);
            }
        }
    }

    // ------------------------------------------------------------------ what the page shows
    t(key, values = {}) {
        return (this.texts[key] || key).replace(/%\((\w+)\)s/g, (_match, name) => values[name] ?? "");
    }

    get visibleOrders() {
        return this.state.orders.filter((order) => order.day === this.state.tab);
    }

    get order() {
        return this.state.orders.find((order) => order.id === this.state.orderId) || null;
    }

    get lastSyncLabel() {
        if (!this.state.lastSync) {
            return this.t("never_synced");
        }
        const date = new Date(this.state.lastSync);
        const sameDay = date.toDateString() === new Date().toDateString();
        const time = date.toLocaleTimeString(this.props.config.lang, { hour: "2-digit", minute: "2-digit" });
        return this.t("last_sync", {
            time: sameDay ? time : `${date.toLocaleDateString(this.props.config.lang)} ${time}`,
        });
    }

    label(kind, key) {
        return (this.state.pack?.labels?.[kind] || {})[key] || key;
    }

    questions(order, step) {
        return ((this.state.pack?.questions || {})[String(order.type_id)] || {})[step] || [];
    }

    itemButtons(item) {
        return ITEM_BUTTONS[item.state] || [];
    }

    itemIsOpen(item) {
        return OPEN_ITEM_STATES.includes(item.state);
    }

    showDay(tab) {
        this.state.tab = tab;
        this.state.screen = "day";
        this.state.orderId = null;
    }

    openOrder(order) {
        this.state.orderId = order.id;
        this.state.screen = "order";
        window.scrollTo(0, 0);
    }

    back() {
        this.state.screen = "day";
        this.state.orderId = null;
    }

    // ------------------------------------------------------------------ taps
    async keep(kind, order, payload = {}, uploads = []) {
        try {
            await this.queue.add(kind, order, payload, uploads);
        } catch (error) {
            this.state.notice = error.message || String(error);
            throw error;
        }
        this.refreshView();
        if (navigator.onLine) {
            this.syncNow();
        }
    }

    /** The order's big button: one tap, or its step form when the order's type asks something. */
    async next(order) {
        const action = order.next_action;
        if (!action) {
            return;
        }
        if (action === "accept") {
            return this.keep("accept", order);
        }
        const kind = action === "start_work" ? "start_work" : action;
        if (STEP_OF[kind] && this.questions(order, STEP_OF[kind]).length) {
            return this.openStepForm(order, kind);
        }
        return this.finishStep(order, kind, {}, []);
    }

    async finishStep(order, kind, payload, uploads) {
        if (["complete", "not_done", "cancel"].includes(kind) && order.clocked_in) {
            // closing clocks the technician out, at the same moment
            await this.queue.add("clock_out", order);
        }
        return this.keep(kind, order, payload, uploads);
    }

    openStepForm(order, kind, extra = {}) {
        const step = STEP_OF[kind];
        this.state.form = {
            type: "step",
            kind,
            orderId: order.id,
            title: kind === "decline" ? this.t("decline") : kind === "not_done" ? this.t("not_done")
                : this.label("steps", step),
            needsReason: REASON_KINDS.includes(kind),
            reason: "",
            cancelType: extra.cancelType || "cancel",
            answers: (step ? this.questions(order, step) : []).map((question) => ({
                question, value: null, blob: null, preview: null, signedBy: "",
            })),
            error: "",
        };
    }

    closeForm() {
        for (const answer of this.state.form?.answers || []) {
            if (answer.preview) {
                URL.revokeObjectURL(answer.preview);
            }
        }
        this.state.form = null;
        this.pads = {};
    }

    onPadReady(answer, pad) {
        this.pads = this.pads || {};
        this.pads[answer.question.id] = pad;
    }

    async pickAnswerPhoto(answer, event) {
        const file = event.target.files?.[0];
        if (!file) {
            return;
        }
        try {
            const blob = await downscale(file, this.state.pack.photo.long_side);
            answer.blob = blob;
            if (answer.preview) {
                URL.revokeObjectURL(answer.preview);
            }
            answer.preview = URL.createObjectURL(blob);
            answer.value = "photo";
        } catch {
            this.state.form.error = this.t("photo_failed");
        }
    }

    async confirmStep() {
        const form = this.state.form;
        const order = this.state.orders.find((o) => o.id === form.orderId);
        const missing = [];
        for (const answer of form.answers) {
            if (answer.question.type === "signature") {
                const pad = this.pads?.[answer.question.id];
                answer.blob = pad ? await pad.toBlob() : null;
                answer.value = answer.blob && answer.signedBy.trim() ? "signature" : null;
            }
            const empty = answer.value === null || answer.value === "" || answer.value === undefined;
            if (answer.question.required && empty) {
                missing.push(answer.question.name);
            }
        }
        if (missing.length) {
            form.error = this.t("answer_required", { questions: missing.join(", ") });
            return;
        }
        if (form.needsReason && !form.reason.trim()) {
            form.error = this.t("reason_required");
            return;
        }
        const answers = {};
        const uploads = [];
        for (const answer of form.answers) {
            const question = answer.question;
            if (answer.value === null || answer.value === "") {
                continue;
            }
            if (question.type === "photo" || question.type === "signature") {
                const name = question.type === "photo" ? "photo.jpg" : "signature.png";
                const uuid = await this.queue.addUpload(answer.blob, name);
                uploads.push(uuid);
                answers[question.id] = { value: { upload: uuid }, signed_by: answer.signedBy || null };
            } else if (question.type === "number") {
                answers[question.id] = { value: Number(answer.value) };
            } else {
                answers[question.id] = { value: answer.value };
            }
        }
        const payload = { answers };
        if (form.needsReason) {
            payload.reason = form.reason.trim();
        }
        if (form.kind === "cancel") {
            payload.cancel_type = form.cancelType;
        }
        this.closeForm();
        return this.finishStep(order, form.kind, payload, uploads);
    }

    clock(order) {
        return this.keep(order.clocked_in ? "clock_out" : "clock_in", order);
    }

    // ------------------------------------------------------------------ work items
    newItem(order) {
        this.state.form = { type: "item", orderId: order.id, title: this.t("new_item"), complaint: "",
            diagnosis: "", hours: "", notes: "", parts: [], productId: "", quantity: "1", error: "" };
    }

    addFormPart() {
        const form = this.state.form;
        const product = this.state.pack.products.find((p) => String(p.id) === String(form.productId));
        const quantity = Number(form.quantity);
        if (!product || !(quantity > 0)) {
            return;
        }
        form.parts.push({ product_id: product.id, product_name: product.name, uom: product.uom, quantity });
        form.productId = "";
        form.quantity = "1";
    }

    async saveItem() {
        const form = this.state.form;
        if (!form.complaint.trim()) {
            form.error = this.t("complaint");
            return;
        }
        const order = this.state.orders.find((o) => o.id === form.orderId);
        const payload = { complaint: form.complaint.trim(), diagnosis: form.diagnosis.trim(),
            notes: form.notes.trim(), parts: form.parts };
        if (form.hours !== "") {
            payload.estimated_hours = Number(form.hours);
        }
        this.closeForm();
        return this.keep("work_item_create", order, payload);
    }

    openPartForm(order, item) {
        this.state.form = { type: "part", orderId: order.id, item: item.ref, title: this.t("add_part"),
            productId: "", quantity: "1", error: "" };
    }

    async savePart() {
        const form = this.state.form;
        const product = this.state.pack.products.find((p) => String(p.id) === String(form.productId));
        const quantity = Number(form.quantity);
        if (!product || !(quantity > 0)) {
            form.error = this.t("product");
            return;
        }
        const order = this.state.orders.find((o) => o.id === form.orderId);
        this.closeForm();
        return this.keep("work_item_part", order, { item: form.item, product_id: product.id,
            product_name: product.name, uom: product.uom, quantity });
    }

    itemAction(order, item, kind) {
        return this.keep(kind, order, { item: item.ref });
    }

    async addItemPhoto(order, item, event) {
        const file = event.target.files?.[0];
        event.target.value = "";
        if (!file) {
            return;
        }
        let blob;
        try {
            blob = await downscale(file, this.state.pack.photo.long_side);
        } catch {
            this.state.notice = this.t("photo_failed");
            return;
        }
        const uuid = await this.queue.addUpload(blob, (file.name || "photo").replace(/\.\w+$/, "") + ".jpg");
        return this.keep("work_item_photo", order, { item: item.ref, upload: uuid }, [uuid]);
    }

    // ------------------------------------------------------------------ fallouts, notes
    openFallout(order, item = null) {
        this.state.form = { type: "fallout", orderId: order.id, item: item ? item.ref : null,
            title: this.t("report_fallout"), typeId: "", description: "", error: "" };
    }

    async saveFallout() {
        const form = this.state.form;
        if (!form.typeId || !form.description.trim()) {
            form.error = this.t("fallout_type");
            return;
        }
        const order = this.state.orders.find((o) => o.id === form.orderId);
        const payload = { type_id: Number(form.typeId), description: form.description.trim() };
        if (form.item) {
            payload.item = form.item;
        }
        this.closeForm();
        return this.keep("fallout", order, payload);
    }

    openNote(order) {
        this.state.form = { type: "note", orderId: order.id, title: this.t("add_note"), body: "", error: "" };
    }

    async saveNote() {
        const form = this.state.form;
        if (!form.body.trim()) {
            return;
        }
        const order = this.state.orders.find((o) => o.id === form.orderId);
        this.closeForm();
        return this.keep("note", order, { body: form.body.trim() });
    }

    // ------------------------------------------------------------------ the rest
    async dismiss(group) {
        for (const op of group.ops) {
            await this.queue.dismiss(op);
        }
        this.refreshView();
    }

    itemOf(order, ref) {
        return findItem(order, ref, this.queue.itemIds);
    }

    async openDocument(order, event) {
        if (navigator.onLine || !window.caches) {
            return; // the link opens it (through the service worker's copy when offline)
        }
        const kept = await (await caches.open(DOCS)).match(order.document.url);
        if (!kept) {
            event.preventDefault();
            this.state.notice = this.t("pdf_not_here");
        }
    }

    signOut(event) {
        const waiting = this.queue.waiting.length;
        if (waiting && !window.confirm(this.t("sign_out_waiting", { count: waiting }))) {
            event.preventDefault();
        }
    }
}
