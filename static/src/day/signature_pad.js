/** @odoo-module */
import { Component, onMounted, useRef } from "@odoo/owl";

/** A canvas the customer signs on with a finger (or the mouse); ``onChange(blank)``. */
export class SignaturePad extends Component {
    static template = "service_order.DaySignaturePad";
    static props = { onReady: Function, texts: Object };

    setup() {
        this.canvas = useRef("canvas");
        this.drawing = false;
        this.blank = true;
        onMounted(() => {
            const canvas = this.canvas.el;
            const ratio = window.devicePixelRatio || 1;
            canvas.width = canvas.clientWidth * ratio;
            canvas.height = canvas.clientHeight * ratio;
            const context = canvas.getContext("2d");
            context.scale(ratio, ratio);
            context.lineWidth = 2.5;
            context.lineCap = "round";
            context.lineJoin = "round";
            context.strokeStyle = "#1b1b3a";
            this.context = context;
            this.clear();
            this.props.onReady(this);
        });
    }

    point(event) {
        const box = this.canvas.el.getBoundingClientRect();
        return [event.clientX - box.left, event.clientY - box.top];
    }

    onDown(event) {
        event.preventDefault();
        this.canvas.el.setPointerCapture?.(event.pointerId);
        this.drawing = true;
        const [x, y] = this.point(event);
        this.context.beginPath();
        this.context.moveTo(x, y);
        this.context.lineTo(x + 0.1, y + 0.1);
        this.context.stroke();
        this.blank = false;
    }

    onMove(event) {
        if (!this.drawing) {
            return;
        }
        event.preventDefault();
        const [x, y] = this.point(event);
        this.context.lineTo(x, y);
        this.context.stroke();
    }

    onUp() {
        this.drawing = false;
    }

    clear() {
        const canvas = this.canvas.el;
        this.context.save();
        this.context.setTransform(1, 0, 0, 1, 0, 0);
        this.context.fillStyle = "#fff";
        this.context.fillRect(0, 0, canvas.width, canvas.height);
        this.context.restore();
        this.blank = true;
    }

    /** The signature as a PNG Blob, or null when nothing was drawn. */
    toBlob() {
        if (this.blank) {
            return Promise.resolve(null);
        }
        return new Promise((resolve) => this.canvas.el.toBlob(resolve, "image/png"));
    }
}
