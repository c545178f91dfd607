/** @odoo-module */
// The operations of the technician's day: each tap is kept on the phone (IndexedDB) with its
// own id, the phone's time and the order's version the phone had, and sent in order when the
// network is there. The server applies each once (controllers/service_day.py,
// models/service_sync_operation.py): "applied", "refused" (with why) or "deferred" (sent
// again later). Photos and signatures go first, one request each, with their own ids.

const DAY = "/service_order/day/";
const BATCH = 25;

export class OfflineError extends Error {}
export class SessionExpiredError extends Error {}

function newId() {
    if (crypto.randomUUID) {
        return crypto.randomUUID();
    }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A JSON route of the day (Odoo's JSON-RPC). */
export async function rpc(route, params = {}) {
    let response;
    try {
        response = await fetch(route, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            credentials: "same-origin",
            body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: Date.now(), params }),
        });
    } catch {
        throw new OfflineError(route);
    }
    if (response.status === 502 || response.status === 503 || response.status === 504) {
        throw new OfflineError(route);
    }
    let body;
    try {
        body = await response.json();
    } catch {
        throw new OfflineError(route);
    }
    if (body.error) {
        if (body.error.data?.name === "odoo.http.SessionExpiredException" || body.error.code === 100) {
            throw new SessionExpiredError(body.error.message);
        }
        throw new Error(body.error.data?.message || body.error.message);
    }
    return body.result;
}

export class DayQueue {
    constructor(db, uid) {
        this.db = db;
        this.uid = uid;
        this.ops = [];
        this.itemIds = {};
        this.device = null;
        this.sequence = 0;
        this.lastSync = null;
        this.syncing = null;
    }

    async load() {
        let install = await this.db.getMeta("install");
        if (!install) {
            install = newId();
            await this.db.setMeta("install", install);
        }
        // one sequence per phone and technician: the server chains them (service.sync.operation)
        this.device = `${install}-u${this.uid}`;
        this.sequence = await this.db.getMeta(`sequence:${this.uid}`, 0);
        this.lastSync = await this.db.getMeta(`last_sync:${this.uid}`, null);
        this.itemIds = await this.db.getMeta(`item_ids:${this.uid}`, {});
        await this.reload();
    }

    async reload() {
        this.ops = (await this.db.byUser("ops", this.uid)).sort((a, b) => a.sequence - b.sequence);
    }

    get waiting() {
        return this.ops.filter((op) => op.state === "waiting");
    }

    get refused() {
        return this.ops.filter((op) => op.state === "refused");
    }

    /** The operations the projection plays: not sent yet, or sent but not yet in the pack. */
    get unsettled() {
        return this.ops.filter((op) => op.state === "waiting" || op.state === "applied");
    }

    /** Operations of other technicians kept on this phone (their session expired here). */
    async othersWaiting() {
        const all = await this.db.all("ops");
        return all.filter((op) => op.uid !== this.uid && op.state === "waiting").length;
    }

    /** Keep a tap: ``kind`` on ``order`` with ``payload``; ``uploads``: the ids it uses. */
    async add(kind, order, payload = {}, uploads = []) {
        this.sequence += 1;
        const op = {
            uuid: newId(),
            uid: this.uid,
            device: this.device,
            sequence: this.sequence,
            kind,
            order_id: order.id,
            order_name: order.name,
            base: { version: order.version },
            device_date: new Date().toISOString(),
            // a plain copy: what the page holds is reactive (a proxy), IndexedDB keeps data
            payload: JSON.parse(JSON.stringify(payload)),
            uploads: [...uploads],
            state: "waiting",
        };
        await this.db.setMeta(`sequence:${this.uid}`, this.sequence);
        await this.db.put("ops", op);
        this.ops.push(op);
        return op;
    }

    /** Keep a picture (already downscaled) until the server has it; returns its id. */
    async addUpload(blob, name) {
        const upload = { uuid: newId(), uid: this.uid, blob, name, size: blob.size, state: "waiting" };
        await this.db.put("uploads", upload);
        return upload.uuid;
    }

    async dismiss(op) {
        await this.db.delete("ops", op.uuid);
        this.ops = this.ops.filter((o) => o.uuid !== op.uuid);
    }

    /** Send the photos, then the operations, in order; returns what changed. */
    sync() {
        if (!this.syncing) {
            this.syncing = this._sync().finally(() => (this.syncing = null));
        }
        return this.syncing;
    }

    async _sync() {
        const session = await rpc(`${DAY}session`);
        if (session.uid !== this.uid) {
            throw new SessionExpiredError("another user");
        }
        let progress = false;
        for (const upload of await this.db.byUser("uploads", this.uid)) {
            if (upload.state === "waiting") {
                await this._upload(upload, session.csrf_token);
                progress = true;
            }
        }
        for (;;) {
            const batch = this.waiting.slice(0, BATCH);
            if (!batch.length) {
                break;
            }
            const answer = await rpc(`${DAY}sync`, {
                device: this.device,
                operations: batch.map((op) => ({
                    uuid: op.uuid,
                    sequence: op.sequence,
                    kind: op.kind,
                    order_id: op.order_id,
                    base: op.base,
                    device_date: op.device_date,
                    payload: op.payload,
                })),
            });
            let moved = false;
            for (const result of answer.results) {
                const op = batch.find((o) => o.uuid === result?.uuid);
                if (!op || result.status === "deferred") {
                    continue;
                }
                moved = true;
                op.state = result.status;
                op.message = result.message || "";
                op.server_time = answer.server_time;
                if (result.work_item_id && op.kind === "work_item_create") {
                    this.itemIds[op.uuid] = result.work_item_id;
                }
                await this.db.put("ops", op);
                for (const uuid of op.uploads || []) {
                    await this.db.delete("uploads", uuid);
                }
            }
            await this.db.setMeta(`item_ids:${this.uid}`, this.itemIds);
            if (!moved) {
                break; // waiting for something the server needs first: later
            }
            progress = true;
        }
        this.lastSync = new Date().toISOString();
        await this.db.setMeta(`last_sync:${this.uid}`, this.lastSync);
        return progress;
    }

    async _upload(upload, csrfToken) {
        const query = new URLSearchParams({ csrf_token: csrfToken, name: upload.name || "photo.jpg" });
        let response;
        try {
            response = await fetch(`${DAY}upload/${upload.uuid}?${query}`, {
                method: "POST",
                credentials: "same-origin",
                headers: { "Content-Type": upload.blob.type || "image/jpeg" },
                body: upload.blob,
            });
        } catch {
            throw new OfflineError("upload");
        }
        if (response.redirected || (response.headers.get("Content-Type") || "").includes("text/html")) {
            throw new SessionExpiredError("upload");
        }
        if (response.status === 409 || response.status >= 500) {
            throw new OfflineError("upload"); // sent again at the next sync
        }
        // stored, or refused and kept so by the server: the operation using it says why
        upload.state = response.ok ? "sent" : "refused";
        upload.blob = null;
        await this.db.put("uploads", upload);
    }

    /** Forget the operations the pack (built at ``built``, server time) already holds. */
    async settle(built) {
        for (const op of [...this.ops]) {
            if (op.state === "applied" && op.server_time && op.server_time <= built) {
                await this.db.delete("ops", op.uuid);
                this.ops = this.ops.filter((o) => o.uuid !== op.uuid);
            }
        }
    }
}
