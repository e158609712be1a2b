const { greet } = require('@shop/greeting');
console.log(greet());
