// The library the Node apps share; its own registry dependency (ms) must reach the images that use it.
const ms = require('ms');

const DAY = 24 * 60 * 60 * 1000;

exports.deliveryEstimate = (days) => `delivery in ${ms(days * DAY, { long: true })}`;
