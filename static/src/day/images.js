/** @odoo-module */
// Photos are downscaled on the phone before they are kept and sent: the long side to the
// pack's size (1600 px), as JPEG. A phone photo of 4 to 12 MB becomes some 300 KB.

async function decode(file) {
    if (window.createImageBitmap) {
        try {
            return await createImageBitmap(file, { imageOrientation: "from-image" });
        } catch {
            // some browsers decode only what an <img> can show
        }
    }
    const url = URL.createObjectURL(file);
    try {
        const image = new Image();
        image.src = url;
        await image.decode();
        return image;
    } finally {
        URL.revokeObjectURL(url);
    }
}

/** The picture ``file`` as a JPEG Blob whose long side is at most ``longSide`` pixels. */
export async function downscale(file, longSide = 1600, quality = 0.85) {
    const image = await decode(file);
    const width = image.width || image.naturalWidth;
    const height = image.height || image.naturalHeight;
    const scale = Math.min(1, longSide / Math.max(width, height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // a transparent PNG turns white, not black
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    if (image.close) {
        image.close();
    }
    return new Promise((resolve, reject) =>
        canvas.toBlob(
            (blob) => (blob ? resolve(blob) : reject(new Error("toBlob"))),
            "image/jpeg",
            quality
        )
    );
}
