/** @odoo-module **/
/**
 * Day routes on the OCA leaflet map. A map view may ask for:
 *   no_cluster="1"  every pin on its own (a cluster would hide the stop numbers);
 *   route_line="1"  also the line of the route through the pins, in the order of the records
 *                   (the stops' visiting order).
 * Without these attributes the map behaves as the OCA view does.
 *
 * Every map's popup holds its record's title and address as text: the OCA view builds the
 * popup as an HTML string from them, so a partner named "<img src=x onerror=...>" (a
 * customer may rename themselves in the portal) ran as script in the dispatcher's browser.
 */
import {MapRenderer} from "@web_view_leaflet_map/views/leaflet_map/leaflet_map_renderer.esm";
import {patch} from "@web/core/utils/patch";

/* global L, document */

patch(MapRenderer.prototype, {
    renderMarkers() {
        const attrs = this.props.archInfo.arch.attributes;
        const routeLine = attrs.route_line?.value === "1";
        if (!routeLine && attrs.no_cluster?.value !== "1") {
            return super.renderMarkers(...arguments);
        }
        if (!this.leafletMap) {
            return;
        }
        if (this.mainLayer) {
            this.leafletMap.removeLayer(this.mainLayer);
        }
        this.mainLayer = L.featureGroup();
        const points = [];
        for (const record of this.records) {
            const marker = this.prepareMarker(record);
            if (marker) {
                this.mainLayer.addLayer(marker);
                points.push(marker.getLatLng());
            }
        }
        if (routeLine && points.length > 1) {
            this.mainLayer.addLayer(
                L.polyline(points, {
                    color: "#714b67",
                    weight: 3,
                    opacity: 0.8,
                    dashArray: "6 6",
                    className: "o_service_route_line",
                })
            );
        }
        const bounds = this.mainLayer.getBounds();
        if (bounds.isValid()) {
            this.leafletMap.fitBounds(bounds.pad(0.1));
        }
        this.leafletMap.addLayer(this.mainLayer);
    },

    /**
     * The popup as DOM nodes holding text (never parsed as HTML), with the OCA view's own
     * structure and class, so that its click on the popup still opens the record.
     */
    preparePopUpData(record) {
        const title = record[this.fieldTitle] || "";
        const address = record[this.fieldAddress] || "";
        const popup = document.createElement("div");
        popup.className = "o_map_selector";
        popup.dataset.resId = String(record.id);
        const bold = document.createElement("b");
        bold.textContent = String(title);
        popup.append(bold, document.createElement("br"));
        if (address) {
            popup.append(document.createTextNode(` - ${address}`));
        }
        return popup;
    },
});
