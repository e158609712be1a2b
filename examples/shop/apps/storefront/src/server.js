// A plain JavaScript app on a workspace library.
const { deliveryEstimate } = require('@shop/pricing');

console.log(`storefront: ${deliveryEstimate(2)} (uid ${process.getuid()})`);
