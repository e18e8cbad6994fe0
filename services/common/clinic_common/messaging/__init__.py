"""RabbitMQ: one topology, one publish path, one consumer loop, one outbox relay."""
