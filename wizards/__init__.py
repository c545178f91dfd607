from . import service_order_submit
from . import service_order_review
from . import service_order_cancel
from . import service_order_close
from . import service_order_worker_add
from . import service_order_modify
