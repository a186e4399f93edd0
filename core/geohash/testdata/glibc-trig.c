/* Generates core/geohash/testdata/glibc-trig.txt: x, sin(x), cos(x), a,
 * asin(a) as hex bits, from glibc's libm (gcc gen2.c -lm). */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <stdint.h>
static uint64_t b(double d){uint64_t u;memcpy(&u,&d,8);return u;}
int main(){ srand48(14); for(int i=0;i<1000;i++){ double x=(drand48()*2-1)*3.15; double a=drand48()*2-1;
 printf("%016lx %016lx %016lx %016lx %016lx\n", b(x), b(sin(x)), b(cos(x)), b(a), b(asin(a))); } }
