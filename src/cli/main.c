#include "exportgate.h"
int main(void) { return 0; }
