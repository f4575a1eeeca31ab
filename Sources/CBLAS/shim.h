#include <cblas.h>
// Process-global OpenBLAS thread count; pin to 1 inside our own parallel loops.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
