// The C++ workload: libstdc++, libm and libgcc_s loaded, iostream set up.
#include <iostream>
int main()
{
	std::cout << "hello" << std::endl;
	return 0;
}
