const ms = require("ms");
exports.greet = () => `hello ${ms(1000)}`;
