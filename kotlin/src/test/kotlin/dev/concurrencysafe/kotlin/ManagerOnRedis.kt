package dev.concurrencysafe.kotlin

import dev.concurrencysafe.LockManager
import dev.concurrencysafe.Locks
import dev.concurrencysafe.testing.RedisExtension
import org.junit.jupiter.api.extension.AfterAllCallback
import org.junit.jupiter.api.extension.BeforeAllCallback
import org.junit.jupiter.api.extension.BeforeEachCallback
import org.junit.jupiter.api.extension.ExtensionContext
import org.redisson.Redisson
import org.redisson.api.RedissonClient
import org.redisson.config.Config

/**
 * JUnit extension for a companion `@JvmField` field: a real redis-server (emptied before each
 * test), a Redisson client and a lock manager over it for one test class; [asDefault] also makes
 * the manager `Locks`' default.
 */
class ManagerOnRedis(private val asDefault: Boolean = false) :
    BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    val redis: RedisExtension = RedisExtension.emptiedBeforeEach()
    lateinit var client: RedissonClient
        private set
    lateinit var manager: LockManager
        private set

    override fun beforeAll(context: ExtensionContext) {
        redis.beforeAll(context)
        client = Redisson.create(Config().apply { useSingleServer().address = redis.uri() })
        manager = LockManager.redisson(client)
        if (asDefault) {
            Locks.setDefault(manager)
        }
    }

    override fun beforeEach(context: ExtensionContext) {
        redis.beforeEach(context)
    }

    override fun afterAll(context: ExtensionContext) {
        try {
            if (asDefault) {
                Locks.clearDefault(manager)
            }
            manager.close()
            client.shutdown()
        } finally {
            redis.afterAll(context)
        }
    }
}
