console.log('pong');
