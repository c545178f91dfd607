/** @odoo-module */
// The phone's copy of the technician's day, in IndexedDB (as the Point of Sale keeps its
// orders: point_of_sale/static/src/app/models/utils/indexed_db.js):
//   pack     the day pack of each technician who signed in here (cleared at logout)
//   ops      the operations made on this phone, until the server has them
//   uploads  the photos and signatures those operations use, until the server has them
//   meta     this phone's id, each technician's operation counter, the last sync time

export const DB_NAME = "service_order_day";
const DB_VERSION = 1;
const STORES = { pack: "uid", ops: "uuid", uploads: "uuid", meta: "key" };

function promisify(request) {
    return new Promise((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
}

export class DayDB {
    async open() {
        if (this.db) {
            return this.db;
        }
        const request = indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = () => {
            const db = request.result;
            for (const [name, keyPath] of Object.entries(STORES)) {
                if (!db.objectStoreNames.contains(name)) {
                    const store = db.createObjectStore(name, { keyPath });
                    if (name === "ops" || name === "uploads") {
                        store.createIndex("uid", "uid");
                    }
                }
            }
        };
        this.db = await promisify(request);
        // another tab upgrading the database: let it, this tab reloads its data later
        this.db.onversionchange = () => {
            this.db.close();
            this.db = null;
        };
        return this.db;
    }

    async _run(storeName, mode, action) {
        const db = await this.open();
        return new Promise((resolve, reject) => {
            const transaction = db.transaction([storeName], mode);
            const store = transaction.objectStore(storeName);
            let result;
            Promise.resolve(action(store)).then((value) => (result = value), reject);
            transaction.oncomplete = () => resolve(result);
            transaction.onerror = () => reject(transaction.error);
            transaction.onabort = () => reject(transaction.error);
        });
    }

    get(storeName, key) {
        return this._run(storeName, "readonly", (store) => promisify(store.get(key)));
    }

    put(storeName, value) {
        return this._run(storeName, "readwrite", (store) => promisify(store.put(value)));
    }

    delete(storeName, key) {
        return this._run(storeName, "readwrite", (store) => promisify(store.delete(key)));
    }

    /** Every record of ``storeName`` of technician ``uid`` (ops, uploads). */
    byUser(storeName, uid) {
        return this._run(storeName, "readonly", (store) =>
            promisify(store.index("uid").getAll(IDBKeyRange.only(uid)))
        );
    }

    all(storeName) {
        return this._run(storeName, "readonly", (store) => promisify(store.getAll()));
    }

    async getMeta(key, fallback = null) {
        const row = await this.get("meta", key);
        return row ? row.value : fallback;
    }

    setMeta(key, value) {
        return this.put("meta", { key, value });
    }
}
