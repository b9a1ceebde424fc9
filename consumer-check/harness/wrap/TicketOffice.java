package readme;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.enterprise.context.ApplicationScoped;

//README-BLOCK
