/**
 * Shared by the modem TLS editor dialogs (load-cert, tls-profile, tls-open, tls-close): what the
 * selected modem can do, from GET modem-tls/capabilities, cached per config node, vendor and
 * platform. Node-RED serves this file from the package's resources/ folder.
 */
/* global RED, $ */
window.modemTls = window.modemTls || (function () {
    var cache = {};
    function configOf(id) { return id && id !== '_ADD_' ? RED.nodes.node(id) : null; }
    function keyOf(cfg) { return cfg.id + '|' + cfg.vendor + '|' + (cfg.platform || ''); }
    return {
        cached: function (id) { var cfg = configOf(id); return cfg ? (cache[keyOf(cfg)] || null) : null; },
        load: function (id, done) {
            var cfg = configOf(id);
            if (!cfg || !cfg.vendor) { done(null); return; }
            var key = keyOf(cfg);
            if (cache[key]) { done(cache[key]); return; }
            $.getJSON('modem-tls/capabilities', { modem: cfg.id, vendor: cfg.vendor, platform: cfg.platform || '' })
                .done(function (caps) { cache[key] = caps; done(caps); })
                .fail(function () { done(null); });
        },
        /** Lists vendor options ("name: what it does", one rule row each) under a field; hides the box when there are none. */
        vendorHint: function ($hint, rows) {
            rows = rows || [];
            $hint.empty().toggle(rows.length > 0);
            rows.forEach(function (row) { $hint.append($('<div>').text(row.name + ': ' + row.help)); });
        },
        range: function (r) { return r ? (r.min === r.max ? String(r.min) : r.min + '..' + r.max) : ''; },
        inRange: function (v, r) { var n = Number(v); return /^\s*-?\d+\s*$/.test(String(v)) && n >= r.min && n <= r.max; }
    };
})();
