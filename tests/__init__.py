from . import test_order_workflow
from . import test_order_security
from . import test_work_items
from . import test_consent_portal
from . import test_fallout
from . import test_time_logs
