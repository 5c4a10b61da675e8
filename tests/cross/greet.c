/* libcrossgreet.so: a library found only in the store. */
#include <stdio.h>
void greet(void) { puts("greetings from a store-only library"); }
