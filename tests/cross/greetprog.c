/* greetprog: DT_NEEDED libcrossgreet.so, which only the store has. */
void greet(void);
int main(void) { greet(); return 0; }
